package io.trims.gpu.testing;

import io.trims.gpu.GpuInfo;
import io.trims.gpu.GpuProbe;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables a {@link RequiresGpu} test only where the GPU probe finds a device. */
public final class GpuPresent implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        GpuInfo gpu = GpuProbe.probe();
        return gpu.present()
                ? ConditionEvaluationResult.enabled("GPU " + gpu.name())
                : ConditionEvaluationResult.disabled("no GPU: " + gpu.reason());
    }
}
