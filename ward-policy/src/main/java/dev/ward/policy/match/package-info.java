/**
 * Allocation-free building blocks for decisions: a byte-string keyed table and a glob automaton. Built once when a
 * policy set is compiled, immutable afterwards, queried with caller-owned scratch space.
 */
package dev.ward.policy.match;
