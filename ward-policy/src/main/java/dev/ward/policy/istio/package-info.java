/**
 * Istio AuthorizationPolicy ({@code security.istio.io/v1}, {@code v1beta1}) for Ward's mesh: the parsed model
 * ({@link dev.ward.policy.istio.AuthorizationPolicy}, read by {@link dev.ward.policy.yaml.PolicyDocuments}),
 * the compiled engine ({@link dev.ward.policy.istio.AuthorizationEngine},
 * {@link dev.ward.policy.istio.WorkloadAuthorizer}) asked with reusable {@link dev.ward.policy.istio.Connection} and
 * {@link dev.ward.policy.istio.HttpRequest} objects. The parser reports errors and the linter's
 * warnings with file:line:col like KubeArmor policies ({@link dev.ward.policy.PolicyLoader#loadAll}). Policies
 * annotated {@code ward.dev/direction: egress} decide a workload's own connections out of the mesh instead
 * ({@link dev.ward.policy.istio.AuthorizationEngine#forEgress}).
 * Pure Java: no Netty, no FFM.
 */
package dev.ward.policy.istio;
