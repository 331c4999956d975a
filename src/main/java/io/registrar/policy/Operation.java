package io.registrar.policy;

/** The RFC 7591 / RFC 7592 operation a policy runs for. */
public enum Operation { REGISTER, UPDATE }
