package io.trims.bench.sim;

import io.trims.agent.residency.Origin;
import io.trims.agent.tier.TierException;

/** What a simulated host tells the simulation about each request it was sent. */
interface Requests {

    /** Where the model was when the request reached the host: what the agent's {@code trims-tier} header says. */
    void arrived(int request, Origin origin);

    /** The copy the request runs on is held: any wait for a load is over, the wait for a worker begins. */
    void held(int request);

    void finished(int request);

    /** The agent would answer an error: the model is bigger than the tier, or room is held by models in use. */
    void failed(int request, TierException.Kind why);
}
