/** What an LP id may be: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
export const LP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
