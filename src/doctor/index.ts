/** The CNN doctor: findings about a model and its data, and the report. */
export { doctor, type DoctorOptions } from './doctor.js';
export { formatDoctorReport } from './format.js';
export type { Finding, Severity, Task, DoctorLoss } from './finding.js';
