import { describeFamilyPart } from './families';

describeFamilyPart(3);
