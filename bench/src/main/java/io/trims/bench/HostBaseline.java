package io.trims.bench;

import io.trims.agent.runtime.ModelRuntime;

import java.util.Optional;

/** trims' own executor on plain-Java host kernels, the CPU baseline of the GPU executor, where this build has it. */
final class HostBaseline {

    private HostBaseline() {
    }

    static Optional<ModelRuntime> runtime() {
        return Optional.empty();
    }
}
