/**
 * KubeArmorPolicy YAML to {@link dev.ward.policy.KubeArmorPolicy}: composes YAML nodes (which keep their source
 * positions), checks them against the CRD's rules, resolves inheritance, and collects every problem instead of
 * stopping at the first. Entry point: {@link dev.ward.policy.yaml.PolicyParser}; files that mix KubeArmorPolicy and
 * Istio AuthorizationPolicy documents: {@link dev.ward.policy.yaml.PolicyDocuments}.
 */
package dev.ward.policy.yaml;
