package io.trims.gpu.exec;

/** Elementwise binary operators. EQUAL writes BOOL (one byte per element); the others write the operands' type. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, EQUAL
}
