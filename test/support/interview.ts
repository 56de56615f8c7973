/** A listed poor household's check, typed as a resident answers: it reaches its result in eight messages. */
export const POOR_HOUSEHOLD_CHECK = [
  "/kiemtra",
  "nông thôn",
  "5 người",
  "hộ nghèo",
  "0",
  "1",
  "lớp 7",
  "trường công",
];

/** Ten messages of one resident: the check to its result, then two questions of fact. */
export const CHECK_THEN_QUESTIONS = [
  ...POOR_HOUSEHOLD_CHECK,
  "lai suat vay ho ngheo bao nhieu",
  "bhyt ho can ngheo duoc ho tro bao nhieu",
];
