package io.trims.testmodels;

import java.util.Random;

/** Test values drawn uniformly from [-1, 1). */
public final class UniformFloats {

    private UniformFloats() {
    }

    public static float[] draw(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }
}
