/** The session file format version this code writes. */
export const currentSessionVersion = 1;
