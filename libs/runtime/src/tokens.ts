/** Injection tokens for values that are not classes. */
export const CONFIG = Symbol('DubanConfig');
export const ENDPOINTS = Symbol('Endpoints');
export const LOGGER = Symbol('Logger');
