package io.trims.devicedata;

import io.trims.devicedata.DeviceData;
import io.trims.devicedata.ReferenceOutput;
import io.trims.devicedata.SeededWeights;

import ai.onnx.proto.OnnxMl;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeededWeightsTest {

    @Test
    void aRegrownModelKeepsItsGraphShapesAndScaleAndIsTheSameEveryTime() throws Exception {
        byte[] real = OnnxModels.matMulAdd(128, 64, 7);
        byte[] skeleton = SeededWeights.strip(real);
        assertTrue(skeleton.length < real.length / 4, "the large weight travels as two numbers");
        byte[] grown = SeededWeights.grow(skeleton, 1);
        assertArrayEquals(grown, SeededWeights.grow(skeleton, 1));
        assertNotEquals(DeviceData.sha256(grown), DeviceData.sha256(SeededWeights.grow(skeleton, 2)));

        OnnxMl.GraphProto before = OnnxMl.ModelProto.parseFrom(real).getGraph();
        OnnxMl.GraphProto after = OnnxMl.ModelProto.parseFrom(grown).getGraph();
        assertEquals(before.getNodeList(), after.getNodeList());
        assertEquals(before.getInitializerCount(), after.getInitializerCount());
        for (int i = 0; i < before.getInitializerCount(); i++) {
            OnnxMl.TensorProto b = before.getInitializer(i);
            OnnxMl.TensorProto a = after.getInitializer(i);
            assertEquals(b.getName(), a.getName());
            assertEquals(b.getDimsList(), a.getDimsList());
            float[] x = floats(b);
            float[] y = floats(a);
            assertEquals(x.length, y.length);
            if (x.length >= SeededWeights.MIN_ELEMENTS) {
                assertEquals(mean(x), mean(y), 0.01 * std(x) + 1e-6, b.getName() + " mean");
                assertEquals(std(x), std(y), 0.05 * std(x), b.getName() + " std");
            } else {
                assertArrayEquals(x, y, b.getName() + " is small and carried as it is");
            }
        }
    }

    @Test
    void referenceOutputsCarryWholeTensorsOrAStridedSample() throws Exception {
        float[] all = new float[100];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        ReferenceOutput whole = ReferenceOutput.of(new long[]{10, 10}, all, 100, 13);
        ReferenceOutput sample = ReferenceOutput.of(new long[]{10, 10}, all, 99, 13);
        assertEquals(100, whole.values().length);
        assertEquals(8, sample.values().length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sample.write(out);
        ReferenceOutput read = ReferenceOutput.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(0.0, read.maxAbsDiff(new long[]{10, 10}, all));
        all[91] += 0.5f;
        assertEquals(0.5, read.maxAbsDiff(new long[]{10, 10}, all), 1e-6, "91 = 7 x 13 is sampled");
        all[90] += 2f;
        assertEquals(0.5, read.maxAbsDiff(new long[]{10, 10}, all), 1e-6, "90 is not");
        assertEquals(2.0, whole.maxAbsDiff(new long[]{10, 10}, all), 1e-6);
    }

    private static float[] floats(OnnxMl.TensorProto t) {
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[raw.remaining() / 4];
        raw.asFloatBuffer().get(values);
        return values;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
