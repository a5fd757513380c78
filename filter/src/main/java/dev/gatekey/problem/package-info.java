/** Refusals ({@link dev.gatekey.problem.Outcome}) and the one place they become problem+json responses. */
package dev.gatekey.problem;
