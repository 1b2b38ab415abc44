package dev.ward.mesh;

/**
 * The head of one HTTP request seen inside an inbound tunnel (HTTP/1.x, or an HTTP/2 stream's HEADERS, whose
 * {@code :method}, {@code :path} and {@code :authority} are the method, path and authority and whose other
 * pseudo-headers are not listed), as sent: the values are views over the parser's buffer, valid only during
 * {@link InboundHttp#request} (copy what must be kept).
 */
public interface HttpHead {

    /** The method token, e.g. {@code GET}. */
    CharSequence method();

    /**
     * The request target's path and query ({@code /orders?id=1}; the path of an absolute-form target; {@code *} for
     * {@code OPTIONS *}); null for CONNECT, whose target is the {@link #authority}.
     */
    CharSequence path();

    /** The {@code Host} header, or the authority of an absolute-form or CONNECT target; null when there is none. */
    CharSequence authority();

    /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}. */
    CharSequence version();

    /** The number of header fields, in the order sent (a repeated name appears once per line). */
    int headerCount();

    CharSequence headerName(int i);

    /** The value without surrounding whitespace. */
    CharSequence headerValue(int i);
}
