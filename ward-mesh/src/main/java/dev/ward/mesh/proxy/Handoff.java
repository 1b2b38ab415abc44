package dev.ward.mesh.proxy;

/**
 * How an entry point (SOCKS5, HTTP, capture) hands its client connection to the outbound side. Both calls come on
 * the client channel's event loop, once. In {@link #established}, the splice's handler is already last in the
 * client's pipeline: the entry point answers its client, then removes its own handlers, firing on any bytes it holds.
 */
interface Handoff {

    enum Failure { NOT_ALLOWED, REFUSED, UNREACHABLE, DENIED, GENERAL }

    void established();

    /** The entry point answers its client with an error and closes. */
    void failed(Failure failure, String reason);
}
