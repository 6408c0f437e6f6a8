package io.trims.gpu.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that needs a CUDA device: tagged {@code gpu} (so a GPU host can select exactly these) and skipped, with
 * the probe's reason, where {@link io.trims.gpu.GpuProbe} finds no GPU — reported as skipped, never passed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(GpuPresent.class)
public @interface RequiresGpu {
}
