package io.trims.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/** The arguments of {@code trims infer NAME [--version V] [--tokenizer T] --text TEXT [--text TEXT ...]}. */
record InferCommand(String model, String version, String tokenizer, List<String> texts) {

    static InferCommand parse(List<String> args) {
        String model = null;
        String version = null;
        String tokenizer = null;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--version" -> version = value(args, ++i, arg);
                case "--tokenizer" -> tokenizer = value(args, ++i, arg);
                case "--text" -> texts.add(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--") || model != null) {
                        throw new Cli.UsageException("unexpected argument '" + arg + "'");
                    }
                    model = arg;
                }
            }
        }
        if (model == null || texts.isEmpty()) {
            throw new Cli.UsageException("infer takes NAME and at least one --text");
        }
        return new InferCommand(model, version, tokenizer, List.copyOf(texts));
    }

    private static String value(List<String> args, int index, String flag) {
        if (index >= args.size()) {
            throw new Cli.UsageException(flag + " needs a value");
        }
        return args.get(index);
    }
}
