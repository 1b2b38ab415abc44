/** Policy packs: curated KubeArmorPolicies shipped as resources ({@code ward policy pack}, {@code ward run --pack}). */
package dev.ward.policy.pack;
