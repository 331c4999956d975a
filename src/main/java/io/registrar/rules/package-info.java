/**
 * Declarative registration rules ({@code registration.rules}): the common pre-processing cases as
 * configuration, so that most deployments need no Java plug-in (PRODUCT.md, "pre-processing"). Pure:
 * {@link io.registrar.rules.RuleSet#compile} checks and compiles the rules at start-up,
 * {@link io.registrar.rules.RuleSet#apply} evaluates them on one request's facts and metadata.
 */
package io.registrar.rules;
