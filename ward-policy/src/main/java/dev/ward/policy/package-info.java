/**
 * Ward's policy engine: KubeArmorPolicy (security.kubearmor.com/v1) loaded with positions and validated
 * ({@link dev.ward.policy.PolicyLoader}), compiled per container ({@link dev.ward.policy.PolicySet}) and asked
 * allocation-free questions with reusable requests ({@link dev.ward.policy.FileRequest},
 * {@link dev.ward.policy.NetworkRequest}, ...). Pure Java: no FFM, no native code.
 *
 * <p>Public API: this package and {@code model}. {@code yaml} and {@code match} are public for the module's own
 * use and tests; other modules should not depend on them beyond {@link dev.ward.policy.yaml.ErrorCode}.
 */
package dev.ward.policy;
