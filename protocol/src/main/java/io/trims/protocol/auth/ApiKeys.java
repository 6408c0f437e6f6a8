package io.trims.protocol.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys a server accepts, held only as salted SHA-256 hashes: a line of the keys file is
 * {@code tenant:role:salt:sha256hex[:rps:bytes]}, the hash being SHA-256 of the salt followed by the key (UTF-8,
 * lowercase hex). Every presented key is hashed with every entry's salt and compared in constant time.
 */
public final class ApiKeys {

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEXES = HexFormat.of();

    /**
     * One accepted key.
     *
     * @param rps   requests per second its tenant may send, -1 for the default (TRIMS_TENANT_RPS)
     * @param bytes bytes of models its tenant may have registered, -1 for the default (TRIMS_TENANT_BYTES)
     */
    public record Entry(String tenant, Role role, String salt, byte[] hash, long rps, long bytes) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** The lines of a keys file; blank lines and lines starting with '#' are skipped. */
    public static ApiKeys parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(entry(line));
            } catch (IllegalArgumentException e) {
                // The line itself is not repeated: it holds a hash, and a mistyped line may hold a key.
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new ApiKeys(entries);
    }

    public static ApiKeys load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), "TRIMS_API_KEYS_FILE " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TRIMS_API_KEYS_FILE " + file + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(String line) {
        String[] f = line.split(":", -1);
        if (f.length != 4 && f.length != 6) {
            throw new IllegalArgumentException("expected tenant:role:salt:sha256hex[:rps:bytes], got " + f.length
                    + " fields");
        }
        if (!TENANT.matcher(f[0]).matches()) {
            throw new IllegalArgumentException("tenant must be letters, digits, '.', '_' or '-' (at most 64)");
        }
        if (f[2].isEmpty() || !HEX.matcher(f[3]).matches() || f[3].length() != 64) {
            throw new IllegalArgumentException("salt must be non-empty and the hash 64 lowercase hex digits");
        }
        long rps = f.length == 6 ? limit(f[4], "rps") : -1;
        long bytes = f.length == 6 ? limit(f[5], "bytes") : -1;
        return new Entry(f[0], Role.parse(f[1]), f[2], HEXES.parseHex(f[3]), rps, bytes);
    }

    /** A limit of a keys-file line or the environment: a number >= 0, 0 meaning none. */
    static long limit(String text, String what) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(what + " must be a number >= 0 (0: no limit), got '" + text + "'");
    }

    /** These keys and the admin key (hashed here, with a salt of its own); null or blank adds nothing. */
    public ApiKeys withAdmin(String adminKey) {
        return with(Caller.ADMIN_TENANT, Role.ADMIN, adminKey);
    }

    /**
     * These keys and {@code key}, a key set in the environment rather than the keys file (hashed here, with a salt
     * of its own, without limits); null or blank adds nothing.
     */
    public ApiKeys with(String tenant, Role role, String key) {
        if (key == null || key.isBlank()) {
            return this;
        }
        String salt = newSalt();
        List<Entry> all = new ArrayList<>(entries);
        all.add(new Entry(tenant, role, salt, digest(salt, key.trim()), 0, 0));
        return new ApiKeys(all);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry the key matches. Every entry is compared, so the time taken does not say which one matched. */
    public Optional<Entry> find(String key) {
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), digest(entry.salt(), key)) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    /** A fresh key: 32 random bytes, base64url, after a prefix that makes it recognisable in a leak scan. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "trims_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String newSalt() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEXES.formatHex(bytes);
    }

    /** The keys-file line that accepts {@code key} for {@code tenant} with {@code role}; it holds no key. */
    public static String line(String tenant, Role role, String key) {
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be letters, digits, '.', '_' or '-' (at most 64), got '"
                    + tenant + "'");
        }
        String salt = newSalt();
        return tenant + ":" + role.label() + ":" + salt + ":" + HEXES.formatHex(digest(salt, key));
    }

    private static byte[] digest(String salt, String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((salt + key).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
