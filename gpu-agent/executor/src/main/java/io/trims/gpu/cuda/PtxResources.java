package io.trims.gpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checked-in PTX modules (built by {@code gpu-agent/scripts/build-ptx.sh}) and a reader of their entries. */
public final class PtxResources {

    /** Every module, one per {@code src/main/cuda/*.cu}. */
    public static final List<String> MODULES = List.of("elementwise", "rows", "matmul", "memory");

    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM =
            Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?(\\.\\w+)\\s+\\w+(?:\\[(\\d+)])?");

    private PtxResources() {
    }

    /** The PTX text of {@code module}. */
    public static String text(String module) {
        String resource = module + ".ptx";
        try (InputStream in = PtxResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PTX resource " + resource, e);
        }
    }

    /** The image {@code cuModuleLoadData} takes: the PTX text, NUL-terminated. */
    public static byte[] image(String module) {
        byte[] text = text(module).getBytes(StandardCharsets.US_ASCII);
        byte[] image = new byte[text.length + 1];
        System.arraycopy(text, 0, image, 0, text.length);
        return image;
    }

    /** A declared parameter: its PTX type ({@code .u64}, {@code .u32}, {@code .f32}, {@code .b8}) and size. */
    public record PtxParam(String type, int bytes) {
    }

    /** The entries of a PTX text, in order, each with its parameters. */
    public static Map<String, List<PtxParam>> entries(String ptx) {
        Map<String, List<PtxParam>> entries = new LinkedHashMap<>();
        Matcher entry = ENTRY.matcher(ptx);
        while (entry.find()) {
            List<PtxParam> params = new ArrayList<>();
            Matcher param = PARAM.matcher(entry.group(2));
            while (param.find()) {
                String type = param.group(1);
                params.add(new PtxParam(type, param.group(2) != null ? Integer.parseInt(param.group(2)) : width(type)));
            }
            entries.put(entry.group(1), List.copyOf(params));
        }
        return entries;
    }

    private static int width(String type) {
        return switch (type) {
            case ".u64", ".s64", ".b64", ".f64" -> 8;
            case ".u32", ".s32", ".b32", ".f32" -> 4;
            case ".u16", ".s16", ".b16" -> 2;
            default -> 1;
        };
    }
}
