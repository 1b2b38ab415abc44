package dev.ward.registry;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/** A request body that reports how many of its bytes the HTTP client has taken, as it takes them. */
final class CountingPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher body;
    private final Descriptor blob;
    private final TransferProgress progress;

    CountingPublisher(HttpRequest.BodyPublisher body, Descriptor blob, TransferProgress progress) {
        this.body = body;
        this.blob = blob;
        this.progress = progress;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicLong sent = new AtomicLong(); // per subscription: a retried request counts from zero again
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                long n = sent.addAndGet(item.remaining());
                subscriber.onNext(item);
                progress.advanced(blob, n);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
