package io.trims.bench.sim;

import io.trims.bench.sim.workload.SimModel;
import io.trims.directory.DirectorySnapshot;
import io.trims.policy.placement.Dispatched;

import java.util.List;

/** What the simulated front door shows a choice made as a request arrives, as the live one shows its router. */
public interface FrontDoorView {

    /** Every host, the copies of {@code models} and the hosts' run times of them, as of now. */
    DirectorySnapshot snapshot(List<SimModel> models);

    /** What the front door has in flight, with the misses of {@code model} not answered yet. */
    Dispatched dispatched(SimModel model);
}
