package io.trims.directory;

import com.hazelcast.core.HazelcastInstance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Signs and checks directory records with HMAC-SHA256 under the cluster secret. Hazelcast's open-source edition
 * authenticates no one, so anyone who reaches a member and knows the cluster name can write the maps: a record
 * is believed only when its signature, over the map, the key and every field of the record, is right.
 *
 * <p>The same secret keys the agents' API: {@link #agentKey()} is derived from it (never the secret itself), so a
 * header that leaks cannot sign records.
 */
public final class RecordSigner {

    public static final String SECRET_ENV = "TRIMS_CLUSTER_SECRET";
    /** The header an agent's v2 API requires, holding {@link #agentKey()}. */
    public static final String AGENT_KEY_HEADER = "trims-cluster-key";
    /** Where {@link DirectoryMember} leaves a member's signer, for the directories opened on it. */
    static final String CONTEXT_KEY = "trims.record-signer";
    private static final int MIN_SECRET_CHARS = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final RecordSigner THIS_RUN = generated();

    private final SecretKeySpec key;
    private final String agentKey;

    private RecordSigner(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.agentKey = HexFormat.of().formatHex(mac("trims-agent-api".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * TRIMS_CLUSTER_SECRET, required: every member of a cluster must have the same one.
     *
     * @throws IllegalArgumentException when it is unset or shorter than 16 characters
     */
    public static RecordSigner fromEnv(Map<String, String> env) {
        String secret = env.get(SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(SECRET_ENV + " must be set outside the embedded role: the same "
                    + "random value (e.g. `openssl rand -hex 32`) on every member; directory records are signed "
                    + "with it");
        }
        if (secret.trim().length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException(SECRET_ENV + " must be at least " + MIN_SECRET_CHARS
                    + " characters, e.g. `openssl rand -hex 32`");
        }
        return new RecordSigner(secret.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The embedded default's: TRIMS_CLUSTER_SECRET when set, else {@link #thisRun()}. */
    public static RecordSigner embedded(Map<String, String> env) {
        String secret = env.get(SECRET_ENV);
        return secret == null || secret.isBlank() ? THIS_RUN : fromEnv(env);
    }

    /** One random secret per JVM run, shared by every member this JVM starts without one of its own. */
    public static RecordSigner thisRun() {
        return THIS_RUN;
    }

    static RecordSigner generated() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new RecordSigner(secret);
    }

    /** The signer {@link DirectoryMember} gave the member. */
    static RecordSigner of(HazelcastInstance member) {
        Object signer = member.getUserContext().get(CONTEXT_KEY);
        if (signer instanceof RecordSigner s) {
            return s;
        }
        throw new IllegalStateException("the Hazelcast member was not started by DirectoryMember, so it has no "
                + "cluster secret to sign directory records with");
    }

    /** What callers of an agent's v2 API present in the {@code trims-cluster-key} header. */
    public String agentKey() {
        return agentKey;
    }

    /** True when {@code presented} is the agent key; takes the same time wherever they differ. */
    public boolean isAgentKey(String presented) {
        return presented != null && MessageDigest.isEqual(agentKey.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    byte[] sign(String map, String entryKey, Record record) {
        return mac(RecordBytes.of(map, entryKey, record));
    }

    boolean verify(String map, String entryKey, Record record, byte[] signature) {
        return signature != null && MessageDigest.isEqual(sign(map, entryKey, record), signature);
    }

    private byte[] mac(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java 17 runtime", e);
        }
    }
}
