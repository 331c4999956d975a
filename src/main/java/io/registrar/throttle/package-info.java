/**
 * Holding back online guessing of a secret (passwords at the login page, client secrets at the token
 * endpoint) with growing delays instead of a lock: {@link io.registrar.throttle.ThrottleRules} is the
 * arithmetic, {@link io.registrar.throttle.GuessThrottle} counts in the database.
 */
package io.registrar.throttle;
