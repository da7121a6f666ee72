import { completeSignIn } from './auth.js';

completeSignIn().catch((error) => {
  const message = document.getElementById('message');
  message.textContent = error.message;
  message.classList.add('error');
  document.getElementById('again').hidden = false;
});
