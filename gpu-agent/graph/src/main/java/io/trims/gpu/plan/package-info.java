/**
 * The execution plan. {@link io.trims.gpu.plan.Planner} runs once per load: it folds constant-only shape
 * arithmetic, marks the subgraphs that only compute shapes for the host, makes every other node a device
 * {@link io.trims.gpu.plan.Step} (or says which node has no GPU kernel, see
 * {@link io.trims.gpu.plan.GpuSupport}), picks the weights and the lifetimes of the arena tensors.
 * {@link io.trims.gpu.plan.Binder} binds a plan to one set of input shapes: it evaluates the host nodes, shapes
 * every tensor and lays out the activation arena ({@link io.trims.gpu.plan.ArenaPlanner}, best fit by size so
 * tensors alive at the same step never overlap).
 */
package io.trims.gpu.plan;
