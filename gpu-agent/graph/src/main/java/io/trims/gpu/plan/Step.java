package io.trims.gpu.plan;

import io.trims.gpu.graph.Node;

/** One device step: the {@code index}-th node the executor runs through the kernels. */
public record Step(int index, Node node) {
}
