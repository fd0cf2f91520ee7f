import { describeFamilyPart } from './families';

describeFamilyPart(1);
