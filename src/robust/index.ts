/** Adversarial robustness: FGSM and PGD attacks, robust accuracy and its curve against ε. */
export * from './adversarial-examples.js';
export { type AttackOptions } from './attack.js';
export * from './fgsm.js';
export { projectToBall, randomInBall, steepestStep, type Norm } from './norm-ball.js';
export * from './pgd.js';
export * from './robustness-chart.js';
export * from './robustness-curve.js';
