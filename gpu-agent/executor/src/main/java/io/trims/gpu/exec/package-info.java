/**
 * Running a plan. {@link io.trims.gpu.exec.Kernels} is the device seam (memory, transfers, one method per
 * operator with explicit shapes and strides); {@link io.trims.gpu.exec.PlanExecutor} walks a plan over any
 * {@code Kernels}: weights up once, inputs and per-shape host values into the arena each run, one compiled list of
 * launches per input-shape signature. {@link io.trims.gpu.exec.HostKernels} is the plain-Java reference.
 */
package io.trims.gpu.exec;
