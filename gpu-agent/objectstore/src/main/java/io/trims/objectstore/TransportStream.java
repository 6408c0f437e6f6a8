package io.trims.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiFunction;

/**
 * A response body whose read failures (a read timeout, a cut connection, a body shorter than announced) are
 * reported as the store being unavailable, so a caller tells them from failures of its own side (a full disk).
 */
final class TransportStream extends FilterInputStream {

    private final BiFunction<String, Throwable, StoreUnavailableException> unavailable;
    private final String what;

    TransportStream(InputStream in, BiFunction<String, Throwable, StoreUnavailableException> unavailable, String what) {
        super(in);
        this.unavailable = unavailable;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw unavailable.apply(what, e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            throw unavailable.apply(what, e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw unavailable.apply(what, e);
        }
    }
}
