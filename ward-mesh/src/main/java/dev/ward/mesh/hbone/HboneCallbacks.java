package dev.ward.mesh.hbone;

import dev.ward.mesh.SpiffeId;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * What happens to one outbound HBONE stream, in order: {@link #opened} (then possibly {@link #status}), or
 * {@link #failed}. All calls come on the pooled connection's event loop; frames that follow a 200 go to the handlers
 * added after {@link #status} returns, so a caller that splices in {@code status} loses nothing.
 */
public interface HboneCallbacks {

    /** The stream exists and its CONNECT HEADERS are written; DATA may follow at once (optimistic). */
    void opened(Http2StreamChannel stream, SpiffeId peer);

    /** The response's {@code :status}. Anything but 200 closes the stream after this call. */
    void status(Http2StreamChannel stream, int status);

    /** No connection, no stream, or the stream ended before a response. */
    void failed(Throwable cause);
}
