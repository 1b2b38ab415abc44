package dev.ward.mesh.hbone;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked request body (RFC 9112 section 7.1) byte by byte to find where it ends, without changing it:
 * chunk-size lines (hex, optional extensions), the chunks and their CRLF, the last chunk, the trailer fields and
 * the final empty line. A body that breaks the grammar is {@link #bad()}: the request can no longer be framed.
 */
final class ChunkedBody {
    private static final int MAX_LINE = 4096;

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE, BAD }

    private State state = State.SIZE;
    private long size;
    private int digits;
    private int lineLength;

    /** Starts a new body. */
    void reset() {
        state = State.SIZE;
        size = 0;
        digits = 0;
        lineLength = 0;
    }

    boolean done() {
        return state == State.DONE;
    }

    boolean bad() {
        return state == State.BAD;
    }

    /**
     * Scans {@code in} from its reader index (not moving it) and returns how many of its bytes belong to the body;
     * fewer than readable when the body ended ({@link #done()}) or broke ({@link #bad()}) inside them.
     */
    int scan(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        while (at < end && state != State.DONE && state != State.BAD) {
            if (state == State.DATA) {
                int n = (int) Math.min(size, end - at);
                at += n;
                size -= n;
                if (size == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            step(in.getByte(at++));
        }
        return at - in.readerIndex();
    }

    private void step(byte b) {
        if (++lineLength > MAX_LINE) {
            state = State.BAD;
            return;
        }
        switch (state) {
            case SIZE -> size(b);
            case EXTENSION -> state = b == '\r' ? State.SIZE_LF : b == '\n' || b == 0 ? State.BAD : State.EXTENSION;
            case SIZE_LF -> {
                lineLength = 0;
                state = b != '\n' ? State.BAD : size > 0 ? State.DATA : State.TRAILER;
            }
            case DATA_CR -> state = b == '\r' ? State.DATA_LF : State.BAD;
            case DATA_LF -> {
                state = b == '\n' ? State.SIZE : State.BAD;
                lineLength = 0;
                digits = 0;
                size = 0;
            }
            case TRAILER -> {
                if (b == '\r') {
                    state = State.TRAILER_LF;
                } else if (b == '\n') {
                    state = State.BAD;
                }
            }
            case TRAILER_LF -> {
                // An empty line (CRLF alone) ends the trailer section and the body; else another field follows.
                state = b != '\n' ? State.BAD : lineLength == 2 ? State.DONE : State.TRAILER;
                lineLength = 0;
            }
            default -> state = State.BAD;
        }
    }

    private void size(byte b) {
        int v = Character.digit(b, 16);
        if (v >= 0) {
            if (++digits > 15) {
                state = State.BAD;
                return;
            }
            size = size * 16 + v;
        } else if (digits > 0 && (b == ';' || b == ' ' || b == '\t')) {
            state = State.EXTENSION;
        } else if (digits > 0 && b == '\r') {
            state = State.SIZE_LF;
        } else {
            state = State.BAD;
        }
    }
}
