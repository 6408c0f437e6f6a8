package io.trims.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stream whose reads advance a {@link TransferProgress}, so a long get or put logs where it is. */
final class CountedInputStream extends FilterInputStream {

    private final TransferProgress progress;

    CountedInputStream(InputStream in, TransferProgress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        progress.advance(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        progress.advance(skipped);
        return skipped;
    }
}
