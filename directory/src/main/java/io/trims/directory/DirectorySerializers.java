package io.trims.directory;

import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

import java.util.Arrays;
import java.util.List;

/**
 * Explicit Compact schemas for every record the directory stores, so that the wire form is fixed by this file
 * and not by reflection over whatever fields a record has today. Enums travel as their names.
 */
final class DirectorySerializers {

    private DirectorySerializers() {
    }

    static void register(CompactSerializationConfig config) {
        config.addSerializer(new TierRoomSerializer());
        config.addSerializer(new HostSerializer());
        config.addSerializer(new ResidencySerializer());
        config.addSerializer(new TensorSpecSerializer());
        config.addSerializer(new ModelSerializer());
        config.addSerializer(new RunTimeSerializer());
        config.addSerializer(new HostStatsSerializer());
        config.addSerializer(new SignedSerializer());
    }

    /**
     * The envelope of every record. Anyone on the Hazelcast network can write an entry of any shape under this
     * type name, so reading never fails on one: a missing or unreadable part reads as null, and the reader drops it.
     */
    static final class SignedSerializer implements CompactSerializer<Signed> {
        @Override
        public Signed read(CompactReader in) {
            byte[] signature = in.getFieldKind("signature") == FieldKind.ARRAY_OF_INT8
                    ? in.readArrayOfInt8("signature") : null;
            Object record;
            try {
                record = in.getFieldKind("record") == FieldKind.COMPACT ? in.readCompact("record") : null;
            } catch (RuntimeException e) {
                record = null;
            }
            return new Signed(record, signature);
        }

        @Override
        public void write(CompactWriter out, Signed signed) {
            out.writeCompact("record", signed.record());
            out.writeArrayOfInt8("signature", signed.signature());
        }

        @Override
        public String getTypeName() {
            return "trims.Signed";
        }

        @Override
        public Class<Signed> getCompactClass() {
            return Signed.class;
        }
    }

    static final class TierRoomSerializer implements CompactSerializer<TierRoom> {
        @Override
        public TierRoom read(CompactReader in) {
            return new TierRoom(in.readInt64("capacityBytes"), in.readInt64("usedBytes"));
        }

        @Override
        public void write(CompactWriter out, TierRoom room) {
            out.writeInt64("capacityBytes", room.capacityBytes());
            out.writeInt64("usedBytes", room.usedBytes());
        }

        @Override
        public String getTypeName() {
            return "trims.TierRoom";
        }

        @Override
        public Class<TierRoom> getCompactClass() {
            return TierRoom.class;
        }
    }

    static final class HostSerializer implements CompactSerializer<HostRecord> {
        @Override
        public HostRecord read(CompactReader in) {
            return new HostRecord(in.readString("host"), in.readString("memberId"), in.readString("endpoint"),
                    in.readBoolean("hasGpu"), in.readCompact("gpu"), in.readCompact("cpu"), in.readCompact("disk"),
                    in.readInt32("inFlight"), in.readInt64("updatedAtMillis"));
        }

        @Override
        public void write(CompactWriter out, HostRecord host) {
            out.writeString("host", host.host());
            out.writeString("memberId", host.memberId());
            out.writeString("endpoint", host.endpoint());
            out.writeBoolean("hasGpu", host.hasGpu());
            out.writeCompact("gpu", host.gpu());
            out.writeCompact("cpu", host.cpu());
            out.writeCompact("disk", host.disk());
            out.writeInt32("inFlight", host.inFlight());
            out.writeInt64("updatedAtMillis", host.updatedAtMillis());
        }

        @Override
        public String getTypeName() {
            return "trims.Host";
        }

        @Override
        public Class<HostRecord> getCompactClass() {
            return HostRecord.class;
        }
    }

    static final class ResidencySerializer implements CompactSerializer<Residency> {
        @Override
        public Residency read(CompactReader in) {
            return new Residency(in.readString("host"), in.readString("model"), in.readString("version"),
                    TierLevel.valueOf(in.readString("tier")), ResidencyState.valueOf(in.readString("state")),
                    in.readInt64("bytes"), in.readInt64("loadedAtMillis"));
        }

        @Override
        public void write(CompactWriter out, Residency r) {
            out.writeString("host", r.host());
            out.writeString("model", r.model());
            out.writeString("version", r.version());
            out.writeString("tier", r.tier().name());
            out.writeString("state", r.state().name());
            out.writeInt64("bytes", r.bytes());
            out.writeInt64("loadedAtMillis", r.loadedAtMillis());
        }

        @Override
        public String getTypeName() {
            return "trims.Residency";
        }

        @Override
        public Class<Residency> getCompactClass() {
            return Residency.class;
        }
    }

    static final class TensorSpecSerializer implements CompactSerializer<TensorSpec> {
        @Override
        public TensorSpec read(CompactReader in) {
            return new TensorSpec(in.readString("name"), in.readString("datatype"), in.readArrayOfInt64("shape"));
        }

        @Override
        public void write(CompactWriter out, TensorSpec spec) {
            out.writeString("name", spec.name());
            out.writeString("datatype", spec.datatype());
            out.writeArrayOfInt64("shape", spec.shape());
        }

        @Override
        public String getTypeName() {
            return "trims.TensorSpec";
        }

        @Override
        public Class<TensorSpec> getCompactClass() {
            return TensorSpec.class;
        }
    }

    static final class ModelSerializer implements CompactSerializer<ModelRecord> {
        @Override
        public ModelRecord read(CompactReader in) {
            return new ModelRecord(in.readString("name"), in.readString("version"), in.readString("objectKey"),
                    in.readString("sha256"), in.readInt64("sizeBytes"),
                    Arrays.asList(in.readArrayOfCompact("inputs", TensorSpec.class)),
                    Arrays.asList(in.readArrayOfCompact("outputs", TensorSpec.class)),
                    in.readInt64("createdAtMillis"),
                    // Records written before the field existed read as GPU-capable.
                    in.getFieldKind("gpuUnsupportedReason") == FieldKind.STRING ? nonNull(in.readString("gpuUnsupportedReason")) : "",
                    // Records written before tenants existed have no owner and are public.
                    in.getFieldKind("owner") == FieldKind.STRING ? nonNull(in.readString("owner")) : "",
                    in.getFieldKind("visibility") == FieldKind.STRING && in.readString("visibility") != null
                            ? Visibility.valueOf(in.readString("visibility")) : Visibility.PUBLIC,
                    task(in));
        }

        /** Records written before tasks existed declare none. */
        private static TaskProfile task(CompactReader in) {
            if (in.getFieldKind("task") != FieldKind.STRING) {
                return TaskProfile.NONE;
            }
            String[] tags = in.readArrayOfString("tags");
            return new TaskProfile(nonNull(in.readString("task")), in.readFloat64("accuracy"),
                    tags == null ? List.of() : Arrays.asList(tags), in.readFloat64("cost"));
        }

        private static String nonNull(String s) {
            return s == null ? "" : s;
        }

        @Override
        public void write(CompactWriter out, ModelRecord m) {
            out.writeString("name", m.name());
            out.writeString("version", m.version());
            out.writeString("objectKey", m.objectKey());
            out.writeString("sha256", m.sha256());
            out.writeInt64("sizeBytes", m.sizeBytes());
            out.writeArrayOfCompact("inputs", m.inputs().toArray(TensorSpec[]::new));
            out.writeArrayOfCompact("outputs", m.outputs().toArray(TensorSpec[]::new));
            out.writeInt64("createdAtMillis", m.createdAtMillis());
            out.writeString("gpuUnsupportedReason", m.gpuUnsupportedReason());
            out.writeString("owner", m.owner());
            out.writeString("visibility", m.visibility().name());
            out.writeString("task", m.task().task());
            out.writeFloat64("accuracy", m.task().accuracy());
            out.writeArrayOfString("tags", m.task().tags().toArray(String[]::new));
            out.writeFloat64("cost", m.task().cost());
        }

        @Override
        public String getTypeName() {
            return "trims.Model";
        }

        @Override
        public Class<ModelRecord> getCompactClass() {
            return ModelRecord.class;
        }
    }

    static final class RunTimeSerializer implements CompactSerializer<RunTime> {
        @Override
        public RunTime read(CompactReader in) {
            return new RunTime(in.readString("model"), in.readString("version"),
                    TierLevel.valueOf(in.readString("tier")), in.readInt64("meanNanos"), in.readInt64("runs"));
        }

        @Override
        public void write(CompactWriter out, RunTime r) {
            out.writeString("model", r.model());
            out.writeString("version", r.version());
            out.writeString("tier", r.tier().name());
            out.writeInt64("meanNanos", r.meanNanos());
            out.writeInt64("runs", r.runs());
        }

        @Override
        public String getTypeName() {
            return "trims.RunTime";
        }

        @Override
        public Class<RunTime> getCompactClass() {
            return RunTime.class;
        }
    }

    static final class HostStatsSerializer implements CompactSerializer<HostStats> {
        @Override
        public HostStats read(CompactReader in) {
            return new HostStats(in.readString("host"), in.readInt32("concurrency"), in.readInt32("running"),
                    in.readInt32("queued"), in.readInt64("meanRunNanos"), in.readFloat64("fetchBytesPerSecond"),
                    in.readFloat64("diskLoadBytesPerSecond"), in.readFloat64("gpuLoadBytesPerSecond"),
                    Arrays.asList(in.readArrayOfCompact("runTimes", RunTime.class)), in.readInt64("updatedAtMillis"));
        }

        @Override
        public void write(CompactWriter out, HostStats s) {
            out.writeString("host", s.host());
            out.writeInt32("concurrency", s.concurrency());
            out.writeInt32("running", s.running());
            out.writeInt32("queued", s.queued());
            out.writeInt64("meanRunNanos", s.meanRunNanos());
            out.writeFloat64("fetchBytesPerSecond", s.fetchBytesPerSecond());
            out.writeFloat64("diskLoadBytesPerSecond", s.diskLoadBytesPerSecond());
            out.writeFloat64("gpuLoadBytesPerSecond", s.gpuLoadBytesPerSecond());
            out.writeArrayOfCompact("runTimes", s.runTimes().toArray(RunTime[]::new));
            out.writeInt64("updatedAtMillis", s.updatedAtMillis());
        }

        @Override
        public String getTypeName() {
            return "trims.HostStats";
        }

        @Override
        public Class<HostStats> getCompactClass() {
            return HostStats.class;
        }
    }
}
