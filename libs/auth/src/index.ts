/** libs/auth: local accounts (argon2id passwords, sessions, lockout) and users as an admin creates them. */
export {
  Accounts,
  SESSION_COOKIE,
  DEVICE_COOKIE,
  MIN_PASSWORD_LENGTH,
  checkPasswordPolicy,
  hashPassword,
  setPassword,
  type SignedIn,
} from './accounts.js';
export { addUser, setUserActive, USER_ROLES, type NewUser, type UserRole } from './users.js';
