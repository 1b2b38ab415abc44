package dev.ward.policy.istio;

/**
 * The values of a header sent several times, seen as one value joined with {@code ,}, which is how Envoy (and so
 * Istio's {@code request.headers[...]}) compares them (istio.io normalization page, "duplicate headers"). A view
 * over the request's own values: reused, nothing copied.
 */
final class JoinedValues implements CharSequence {
    private final HttpRequest request;
    private final int[] parts = new int[HttpRequest.MAX_HEADERS];
    private int count;
    private int length;

    JoinedValues(HttpRequest request) {
        this.request = request;
    }

    void clear() {
        count = 0;
        length = -1;
    }

    void add(int headerIndex) {
        parts[count++] = headerIndex;
        length += request.values[headerIndex].length() + 1;
    }

    int count() {
        return count;
    }

    CharSequence first() {
        return request.values[parts[0]];
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        int i = index;
        for (int k = 0; k < count; k++) {
            CharSequence v = request.values[parts[k]];
            if (i < v.length()) {
                return v.charAt(i);
            }
            if (i == v.length()) {
                return ',';
            }
            i -= v.length() + 1;
        }
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Math.max(length, 0));
        for (int k = 0; k < count; k++) {
            sb.append(k == 0 ? "" : ",").append(request.values[parts[k]]);
        }
        return sb.toString();
    }
}
