/**
 * trims' own view of an ONNX model: {@link io.trims.gpu.graph.OnnxGraphReader} reads the protobuf into an
 * immutable {@link io.trims.gpu.graph.Graph} (nodes, initializers as host tensors, declared inputs and outputs
 * with symbolic dims). {@link io.trims.gpu.graph.ShapeRules} gives each operator's output shape,
 * {@link io.trims.gpu.graph.HostEvaluator} evaluates shape arithmetic (Shape, Gather, Concat, Slice, ...) on
 * the host, and {@link io.trims.gpu.graph.Operators} says which operators run where.
 */
package io.trims.gpu.graph;
