package io.trims.bench.sim;

/**
 * Which catalogue model a request runs, chosen when it arrives: a model-less request names a task, and the model
 * is picked from what the simulated front door shows at that instant.
 */
@FunctionalInterface
public interface ArrivalChoice {

    /** @param traced the model the trace names for the request */
    int modelFor(int request, int traced, FrontDoorView view);
}
