/**
 * In-memory stand-in for Photoshop's `photoshop` module (jest maps `photoshop` here), covering exactly
 * what plugin/src/host uses. Tests drive and inspect it through `fakePhotoshop` (./control).
 */
import { fakeAction } from './action';
import { fakeConstants } from './constants';
import { fakeCore } from './core';
import { FakeApp } from './dom';
import { fakeImaging } from './imaging';

export const app = new FakeApp();
export const core = fakeCore;
export const action = fakeAction;
export const imaging = fakeImaging;
export const constants = fakeConstants;

export default { app, core, action, imaging, constants };
