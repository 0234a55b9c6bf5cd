/** libs/rehearsal: a cycle in compressed, work-paced time — the simulated people and the command-line run. */
export { planSimulation, simulateRehearsalDay, type PlannedAction, type SimTask } from './simulator.js';
export {
  runRehearsal,
  summarise,
  type RehearsalOptions,
  type RehearsalProgress,
  type RehearsalResult,
  type RehearsalTaskSummary,
} from './rehearsal.js';
