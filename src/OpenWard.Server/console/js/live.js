// Live changes from /hubs/alerts: "ward" (ids of patients with new readings) and "alert" (an alert that changed).
import { accessToken } from './auth.js';

/** Connects and calls the handlers; reconnects by itself; `onReconnected` lets a page catch up on what it missed. */
export async function listen({ onWard = () => {}, onAlert = () => {}, onReconnected = () => {} }) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/alerts', { accessTokenFactory: accessToken })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection.on('ward', onWard);
  connection.on('alert', onAlert);
  connection.onreconnected(onReconnected);
  await connection.start();
  document.body.dataset.live = 'connected';
  return connection;
}
