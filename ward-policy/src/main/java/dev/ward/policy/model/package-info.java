/**
 * The parsed, validated and inheritance-resolved form of a KubeArmorPolicy: immutable records, each rule carrying
 * the position it was written at. Built by {@link dev.ward.policy.yaml.PolicyParser}; compiled into matchers by
 * {@link dev.ward.policy.PolicySet#compile}.
 */
package dev.ward.policy.model;
