/** Task queues shared by the API (client) and the worker. */
export const DUBAN_TASK_QUEUE = 'duban';
