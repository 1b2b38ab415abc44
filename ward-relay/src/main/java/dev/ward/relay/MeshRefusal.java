package dev.ward.relay;

import io.grpc.Status;

/** A certificate request refused: the gRPC status the agent gets and the reason label counted in the metrics. */
final class MeshRefusal extends RuntimeException {
    final Status status;
    final String reason;

    MeshRefusal(Status.Code code, String reason, String message) {
        super(message, null, false, false);
        this.status = Status.fromCode(code).withDescription(message);
        this.reason = reason;
    }
}
