import { progressText } from '../../../native-helper/src/cli/progress-bar';
import { PREPARE_CONVERT_STAGE, PREPARE_DOWNLOAD_STAGE } from '../../../native-helper/src/protocol';

describe('the progress bar’s text', () => {
  it('shows a first-use preparation in megabytes, then files, and a model run in tiles', () => {
    expect(progressText({ done: 34e6, total: 117e6, stage: PREPARE_DOWNLOAD_STAGE })).toEqual({ amount: '34/117 MB', stage: 'preparing the model: downloading' });
    expect(progressText({ done: 34e6, total: 0, stage: PREPARE_DOWNLOAD_STAGE }).amount).toBe('34 MB');
    expect(progressText({ done: 1, total: 2, stage: PREPARE_CONVERT_STAGE })).toEqual({ amount: '1/2 files', stage: 'preparing the model: converting' });
    expect(progressText({ done: 3, total: 12, stage: 'maxim-deblur' })).toEqual({ amount: '3/12 tiles', stage: 'maxim-deblur' });
  });
});
