import { describeFamilyPart } from './families';

describeFamilyPart(2);
