package io.trims.directory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The bytes a record's signature covers: the map, the key, then every component of the record, by name and in
 * declaration order, nested records and lists included. Read from the record's components, so a field added to a
 * record later is signed without anyone listing it here.
 */
final class RecordBytes {

    private RecordBytes() {
    }

    static byte[] of(String map, String entryKey, Record record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(map);
            out.writeUTF(entryKey);
            write(out, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(0);
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(1);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (value instanceof Long l) {
            out.writeByte(2);
            out.writeLong(l);
        } else if (value instanceof Integer i) {
            out.writeByte(3);
            out.writeInt(i);
        } else if (value instanceof Boolean b) {
            out.writeByte(4);
            out.writeBoolean(b);
        } else if (value instanceof Double d) {
            out.writeByte(5);
            out.writeLong(Double.doubleToLongBits(d));
        } else if (value instanceof Enum<?> e) {
            out.writeByte(6);
            out.writeUTF(e.name());
        } else if (value instanceof long[] array) {
            out.writeByte(7);
            out.writeInt(array.length);
            for (long l : array) {
                out.writeLong(l);
            }
        } else if (value instanceof Collection<?> items) {
            out.writeByte(8);
            out.writeInt(items.size());
            for (Object item : items) {
                write(out, item);
            }
        } else if (value instanceof Record record) {
            writeRecord(out, record);
        } else {
            throw new IllegalArgumentException("a directory record cannot hold a " + value.getClass().getName()
                    + "; teach RecordBytes to sign it");
        }
    }

    private static void writeRecord(DataOutputStream out, Record record) throws IOException {
        RecordComponent[] components = record.getClass().getRecordComponents();
        out.writeByte(9);
        out.writeUTF(record.getClass().getSimpleName());
        out.writeInt(components.length);
        for (RecordComponent component : components) {
            out.writeUTF(component.getName());
            try {
                write(out, component.getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of a "
                        + record.getClass().getSimpleName(), e);
            }
        }
    }
}
