package io.trims.protocol.http;

import java.util.regex.Pattern;

/**
 * Removes the server's file paths (cache directories, temp files, a runtime's source files) from a message before a
 * client sees it; the log keeps them. API paths ({@code /v1/...}, {@code /v2/...}) are the client's own and stay.
 */
public final class InternalPaths {

    /** An absolute path of two or more segments, Unix or Windows, not inside a word or URL. */
    private static final Pattern PATH = Pattern.compile(
            "(?<![\\w:/.])(?:[A-Za-z]:\\\\(?:[^\\s\\\\'\"]+\\\\)*[^\\s\\\\'\"]*|/(?!v[12]/)[\\w.@+-]+(?:/[\\w.@+-]*)+(?::\\d+)?)");

    private InternalPaths() {
    }

    /** {@code message} with every server path replaced by {@code <path>}; null stays null. */
    public static String scrub(String message) {
        return message == null ? null : PATH.matcher(message).replaceAll("<path>");
    }
}
