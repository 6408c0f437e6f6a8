package io.trims.gpu.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checked-in PTX holds every kernel trims launches, with the parameters the launcher packs. */
class PtxResourcesTest {

    @Test
    void everyModuleIsPtxForCompute80() {
        for (String module : PtxResources.MODULES) {
            String ptx = PtxResources.text(module);
            assertTrue(ptx.contains(".target sm_80"), module + " targets compute_80");
            assertTrue(ptx.contains(".address_size 64"), module);
            assertTrue(ptx.matches("(?s).*\\.version \\d+\\.\\d+.*"), module + " declares its PTX ISA version");
            assertTrue(!ptx.contains("/work/") && !ptx.contains(".file"), module + " carries no source paths");
            byte[] image = PtxResources.image(module);
            assertEquals(0, image[image.length - 1], "the module image is NUL-terminated for cuModuleLoadData");
            assertEquals(ptx.length() + 1, image.length);
        }
    }

    @Test
    void everyLaunchedKernelIsDeclaredWithItsParameters() {
        Set<CudaKernel> found = EnumSet.noneOf(CudaKernel.class);
        for (CudaKernel k : CudaKernel.values()) {
            Map<String, List<PtxResources.PtxParam>> entries = PtxResources.entries(PtxResources.text(k.module()));
            List<PtxResources.PtxParam> declared = entries.get(k.entry());
            assertTrue(declared != null, k.entry() + " is declared in " + k.module() + ".ptx");
            List<PtxResources.PtxParam> expected = new ArrayList<>();
            for (ParamKind p : k.params()) {
                expected.add(new PtxResources.PtxParam(p.ptxType(), p.bytes()));
            }
            assertEquals(expected, declared, k.entry() + " parameters");
            found.add(k);
        }
        assertEquals(EnumSet.allOf(CudaKernel.class), found);
    }

    @Test
    void noEntryInThePtxIsUnknownToTheLauncher() {
        Set<String> known = new HashSet<>();
        for (CudaKernel k : CudaKernel.values()) {
            known.add(k.module() + "/" + k.entry());
        }
        Set<String> declared = new HashSet<>();
        for (String module : PtxResources.MODULES) {
            for (String entry : PtxResources.entries(PtxResources.text(module)).keySet()) {
                declared.add(module + "/" + entry);
            }
        }
        assertEquals(known, declared);
    }

    @Test
    void theParserReadsScalarsAndStructs() {
        String ptx = """
                .visible .entry k(
                	.param .u64 k_param_0,
                	.param .f32 k_param_1,
                	.param .align 4 .b8 k_param_2[76]
                )
                """;
        assertEquals(Map.of("k", List.of(new PtxResources.PtxParam(".u64", 8), new PtxResources.PtxParam(".f32", 4),
                new PtxResources.PtxParam(".b8", 76))), PtxResources.entries(ptx));
    }
}
