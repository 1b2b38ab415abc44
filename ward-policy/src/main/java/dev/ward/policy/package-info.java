/**
 * Ward's policy engine: KubeArmorPolicy (security.kubearmor.com/v1) loaded with positions and validated
 * ({@link dev.ward.policy.PolicyLoader}), compiled per container ({@link dev.ward.policy.PolicySet}) and asked
 * allocation-free questions with reusable requests ({@link dev.ward.policy.FileRequest},
 * {@link dev.ward.policy.NetworkRequest}, ...). Pure Java: no FFM, no native code.
 *
 * <p>Istio AuthorizationPolicy for the mesh: {@code istio}.
 *
 * <p>Public API: this package, {@code model}, {@code istio} and {@code pack} (the policy packs). {@code yaml} and {@code match} are public for the
 * module's own use and tests; other modules should not depend on them beyond {@link dev.ward.policy.yaml.ErrorCode}
 * and {@link dev.ward.policy.yaml.PolicyDocuments}.
 */
package dev.ward.policy;
